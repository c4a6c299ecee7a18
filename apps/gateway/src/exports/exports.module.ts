import { Module } from '@nestjs/common';

/** Export requests, status and downloads (issue 5). */
@Module({})
export class ExportsModule {}
