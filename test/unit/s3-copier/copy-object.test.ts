import { copySourceOf, decodeS3EventKey } from '../../../handlers/s3-copier/copy-object';

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

describe('copySourceOf', () => {
  it('joins bucket and key with a slash', () => {
    const source = copySourceOf('source-bucket', 'plain.txt');

    expect(source).toBe('source-bucket/plain.txt');
  });

  it('URL-encodes spaces, plus signs and non-ASCII letters of the key', () => {
    const source = copySourceOf('source-bucket', 'my file+中.txt');

    expect(source).toBe('source-bucket/my%20file%2B%E4%B8%AD.txt');
  });

  it('keeps the slashes of the key unencoded', () => {
    const source = copySourceOf('source-bucket', 'a/b c/d.txt');

    expect(source).toBe('source-bucket/a/b%20c/d.txt');
  });

  it('asks for the given version', () => {
    const source = copySourceOf('source-bucket', 'a.txt', '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY');

    expect(source).toBe('source-bucket/a.txt?versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY');
  });

  it('asks for no version when none is given', () => {
    const source = copySourceOf('source-bucket', 'a.txt', undefined);

    expect(source).not.toContain('versionId');
  });
});
