import { ApiProperty } from '@nestjs/swagger';
import { EXPORT_STATUSES, ExportStatus } from '../entities/workspace-export.entity';

export class WorkspaceExportView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: EXPORT_STATUSES }) status!: ExportStatus;
  @ApiProperty({ type: Number, nullable: true, description: 'Bytes of the archive once completed' }) size!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) completedAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true, description: 'Downloadable until then (7 days after completion)' }) expiresAt!: Date | null;
}
