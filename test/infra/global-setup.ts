import { packageAll } from './packaged-templates';

/** Packages every stage once for all the infra test files. */
export default async function globalSetup(): Promise<void> {
  await packageAll();
}
