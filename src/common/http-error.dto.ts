import { ApiProperty } from '@nestjs/swagger';

/** The body of a refusal (401, 403, 404): the code, its name, and one line saying why. */
export class HttpErrorDto {
  @ApiProperty({ example: 401 })
  statusCode!: number;

  @ApiProperty({ example: 'Unauthorized' })
  error!: string;

  @ApiProperty({ example: 'a bearer token (HEALTH_TOKEN) is required to change maintenance windows' })
  message!: string;
}
