export { AiModule } from './ai.module';
export { AiArtifactsService } from './ai-artifacts.service';
export type { AiArtifactView } from './ai-artifact.view';
export type { ArtifactKind, ArtifactStatus } from './entities/ai-artifact.entity';
