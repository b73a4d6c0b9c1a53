import { Global, Module } from '@nestjs/common';
import { GracefulShutdown } from './graceful-shutdown';
import { NodeRegistry } from './node-registry';
import { SessionForwarder } from './session-forwarder';

/** What several nodes need from each other: the registry, session forwarding and draining. */
@Global()
@Module({
  providers: [NodeRegistry, SessionForwarder, GracefulShutdown],
  exports: [NodeRegistry, SessionForwarder, GracefulShutdown],
})
export class ClusterModule {}
