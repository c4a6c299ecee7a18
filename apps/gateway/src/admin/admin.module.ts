import { Module } from '@nestjs/common';
import { AdminOrganizationsController } from './admin-organizations.controller';
import { AdminOrganizationsService } from './admin-organizations.service';
import { AdminTokenGuard } from './admin-token.guard';

@Module({
  controllers: [AdminOrganizationsController],
  providers: [AdminOrganizationsService, AdminTokenGuard],
})
export class AdminModule {}
