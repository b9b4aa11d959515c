import { decodeS3EventKey } from '../../../handlers/s3-copier/event';

describe('decodeS3EventKey', () => {
  it('turns a + into a space', () => {
    const encoded = 'my+file.txt';

    const key = decodeS3EventKey(encoded);

    expect(key).toBe('my file.txt');
  });

  it('decodes percent-escaped UTF-8 into the letters', () => {
    const encoded = '%E4%B8%AD%E6%96%87.txt';

    const key = decodeS3EventKey(encoded);

    expect(key).toBe('中文.txt');
  });

  it('turns %2B into a literal plus sign, not a space', () => {
    const encoded = 'c%2B%2B+notes.txt';

    const key = decodeS3EventKey(encoded);

    expect(key).toBe('c++ notes.txt');
  });

  it('leaves a key with nothing encoded unchanged', () => {
    const encoded = 'reports/2025-03/summary_v2.csv';

    const key = decodeS3EventKey(encoded);

    expect(key).toBe('reports/2025-03/summary_v2.csv');
  });

  it('keeps the slashes of a nested key while decoding its parts', () => {
    const encoded = 'reports/my+file+%E4%B8%AD%E6%96%87.txt';

    const key = decodeS3EventKey(encoded);

    expect(key).toBe('reports/my file 中文.txt');
  });
});
