import { IsEmail, IsString, Length } from 'class-validator';

export class SignInRequestBody {
  @IsEmail({ require_tld: false }, { message: 'email must be an e-mail address' }) @Length(3, 320) @IsString() email!: string;
}

export class SessionRequestBody {
  @Length(10, 200) @IsString() token!: string;
}
