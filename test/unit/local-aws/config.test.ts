import { localAwsConfig } from '../../../local-aws/config';

describe('localAwsConfig', () => {
  it('serves the console on LOCAL_CONSOLE_PORT, 4570 by default', () => {
    expect(localAwsConfig('local', {}).consolePort).toBe(4570);
    expect(localAwsConfig('test', { LOCAL_CONSOLE_PORT: '4580' }).consolePort).toBe(4580);
  });

  it('names LOCAL_CONSOLE_PORT when it is not a port', () => {
    expect(() => localAwsConfig('local', { LOCAL_CONSOLE_PORT: 'web' })).toThrow(/LOCAL_CONSOLE_PORT/);
    expect(() => localAwsConfig('local', { LOCAL_CONSOLE_PORT: '70000' })).toThrow(/LOCAL_CONSOLE_PORT/);
  });
});
