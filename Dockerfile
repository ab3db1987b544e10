# syntax=docker/dockerfile:1
# Build stage: full install and compile (src + migrations to dist/).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npx nest build

# Runtime stage: production dependencies and the compiled output only.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# Inside a container the port is only reachable through the published mapping, so bind all interfaces.
ENV HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# docker-compose mounts a named volume at STORAGE_DIR; a fresh named volume copies the ownership of
# the image's directory, so it must exist and belong to node, or every attachment write fails (EACCES).
ENV STORAGE_DIR=/data/storage
RUN mkdir -p /data/storage && chown node:node /data/storage
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Migrations run on start; they are idempotent and transactional, so several replicas may race safely.
CMD ["sh", "-c", "node dist/src/infrastructure/database/cli/migrate.js && exec node dist/src/main.js"]
