import { currentTables, generatedTables } from './report';

describe('docs/deploy-verification.md', () => {
  it('shows the engine\'s decisions for the calls and deliveries as they are (npx tsx test/infra/iam/report.ts --write)', async () => {
    expect(currentTables()).toBe(await generatedTables());
  });
});
