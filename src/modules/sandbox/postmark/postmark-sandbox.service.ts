import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isRejectedToken } from '../core/sandbox-auth';
import { postmarkError } from '../core/sandbox-error-bodies';
import type { SandboxInput, SandboxResult } from '../core/sandbox.types';

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** The Postmark send API (PROVIDERS.md A4): token check, minimal validation, `MessageID` per email. */
@Injectable()
export class PostmarkSandboxService {
  sendEmail(input: SandboxInput): SandboxResult {
    const token = input.headers['x-postmark-server-token'];
    if (!token) {
      return postmarkError(
        401,
        10,
        'No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.',
      );
    }
    if (isRejectedToken(token)) return postmarkError(401, 10, 'Request does not contain a valid Server token.');
    if (input.bodyKind !== 'json') return postmarkError(422, 409, 'JSON required.');
    const { To: to, From: from } = input.fields;
    if (!nonEmpty(to)) return postmarkError(422, 300, 'Invalid email request: Zero recipients specified.');
    if (!nonEmpty(from)) return postmarkError(422, 300, "Invalid email request: Invalid 'From' address: ''.");
    return {
      status: 200,
      json: { To: to, SubmittedAt: new Date().toISOString(), MessageID: randomUUID(), ErrorCode: 0, Message: 'OK' },
    };
  }
}
