import { copySourceOf } from '../../../handlers/domain/copying/copy-object';

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
