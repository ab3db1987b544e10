import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { registerMultipartPassthrough } from './sandbox-multipart';

/** Installs the multipart passthrough when (and only when) the sandbox is mounted. */
@Injectable()
export class SandboxMultipartParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    registerMultipartPassthrough(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
