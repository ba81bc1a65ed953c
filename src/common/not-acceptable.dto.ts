import { ApiProperty } from '@nestjs/swagger';

/** The body of a 406: the Accept header refused every representation of the resource. */
export class NotAcceptableDto {
  @ApiProperty({ example: 406 })
  statusCode!: 406;

  @ApiProperty({ example: 'Not Acceptable' })
  error!: 'Not Acceptable';

  @ApiProperty({
    example: 'the Accept header refuses every representation of this resource: application/json',
    description: 'Names the representations the route has',
  })
  message!: string;
}
