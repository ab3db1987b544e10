import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Public, RequirePerson } from '../../../common/authz';
import { ApiProblem, ForbiddenError } from '../../../common/errors';
import { LoginDto, RefreshDto, SignupDto } from '../dto/auth.dto';
import { AuthService } from './auth.service';
import { ApiJson } from '../../../common/openapi';
import { LoginResponse, MeResponse, SignupResponse, TokenPairResponse } from '../dto/workspace-responses.dto';

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/signup')
  @Public('none: the new account is created from the body')
  @ApiOperation({ summary: 'Create an account and its first workspace (the caller becomes owner)' })
  @ApiJson(SignupResponse, 'The account, its first workspace and a token pair', 201)
  @ApiConflictResponse({ description: 'Email already registered' })
  signup(@Body() dto: SignupDto) {
    return this.auth.signup(dto);
  }

  @Post('auth/login')
  @Public('email and password in the body')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; the same 401 for an unknown email and a wrong password' })
  @ApiJson(LoginResponse, 'The person and a token pair')
  @ApiUnauthorizedResponse({ description: 'Bad credentials' })
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }

  @Post('auth/refresh')
  @Public('the refresh token in the body')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a refresh token; reusing a rotated token revokes the whole family' })
  @ApiProblem('unauthorized', 'the refresh token is unknown, expired, revoked or was already rotated')
  @ApiJson(TokenPairResponse, 'A new token pair; the old refresh token is spent')
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('auth/logout')
  @Public('the refresh token in the body')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke the refresh token's family" })
  async logout(@Body() dto: RefreshDto) {
    await this.auth.logout(dto.refreshToken);
  }

  @Get('me')
  @RequirePerson()
  @ApiOperation({ summary: 'The signed-in person and their memberships' })
  @ApiJson(MeResponse, 'The person and their active memberships')
  me(@CurrentPrincipal() principal: Principal) {
    if (principal.type !== 'user') throw new ForbiddenError('API keys act for a workspace, not a person.');
    return this.auth.me(principal.id);
  }
}
