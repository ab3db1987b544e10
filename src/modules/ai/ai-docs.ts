import { ApiResponse } from '@nestjs/swagger';
import { problemContent } from '../../common/errors';

/** The 409s of AI routes: `processing_restricted` is a 409 here (API.md § AI), so it cannot go through ApiProblem's catalog status. */
export const ApiAiRefusals = (stateConflict?: string) =>
  ApiResponse({
    status: 409,
    description: [
      '`ai_disabled`: AI is turned off in the workspace settings',
      '`processing_restricted`: the contact’s processing is restricted',
      ...(stateConflict ? [`\`conflict\`: ${stateConflict}`] : []),
    ].join('\n\n'),
    content: problemContent(stateConflict ? ['ai_disabled', 'processing_restricted', 'conflict'] : ['ai_disabled', 'processing_restricted']),
  });
