import { ReleaseSettingsError, applyReleases, parseAbTestVersions, type Template } from '../../../deploy/releases';

const KEYS = ['worker'];
const ids = { worker: 'WorkerLambdaFunction' };

/** The shape serverless-plugin-canary-deployments leaves: a version, an alias shifted by CodeDeploy, a destination on $LATEST. */
function compiled(): Template {
  return {
    Resources: {
      WorkerLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} },
      WorkerLambdaVersionAbc123: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'WorkerLambdaFunction' } } },
      WorkerLambdaFunctionAliaslive: {
        Type: 'AWS::Lambda::Alias',
        Properties: { FunctionName: { Ref: 'WorkerLambdaFunction' }, FunctionVersion: { 'Fn::GetAtt': ['WorkerLambdaVersionAbc123', 'Version'] }, Name: 'live' },
        UpdatePolicy: { CodeDeployLambdaAliasUpdate: { ApplicationName: { Ref: 'App' }, DeploymentGroupName: { Ref: 'WorkerLambdaFunctionDeploymentGroup' } } },
      },
      App: { Type: 'AWS::CodeDeploy::Application', Properties: {} },
      WorkerLambdaFunctionDeploymentGroup: {
        Type: 'AWS::CodeDeploy::DeploymentGroup',
        Properties: { DeploymentGroupName: 'svc-WorkerLambdaFunctionDeploymentGroup', AlarmConfiguration: { Alarms: [{ Name: { Ref: 'WorkerNewVersionErrorsAlarm' } }] } },
      },
      CodeDeployServiceRole: { Type: 'AWS::IAM::Role', Properties: {} },
      WorkerNewVersionErrorsAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { Dimensions: [{ Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': ['WorkerLambdaVersion', 'Version'] } }] },
      },
      WorkerLambdaEvConf: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: { Ref: 'WorkerLambdaFunction' }, Qualifier: '$LATEST' } },
    },
  };
}

describe('applyReleases', () => {
  it("puts the destination on the alias, the published version in the rollback alarm, and orders the alias after its alarm", () => {
    const template = compiled();

    applyReleases(template, { codeDeploy: true, abTestVersions: {}, functionLogicalIds: ids });

    expect(template.Resources.WorkerLambdaEvConf).toEqual({
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'WorkerLambdaFunction' }, Qualifier: 'live' },
      DependsOn: ['WorkerLambdaFunctionAliaslive'],
    });
    expect(template.Resources.WorkerNewVersionErrorsAlarm?.Properties?.Dimensions).toEqual([{ Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': ['WorkerLambdaVersionAbc123', 'Version'] } }]);
    expect(template.Resources.WorkerLambdaFunctionAliaslive?.DependsOn).toEqual(['WorkerNewVersionErrorsAlarm']);
    expect(template.Resources.WorkerLambdaFunctionAliaslive?.UpdatePolicy).toBeDefined();
  });

  it('drops CodeDeploy where the stage has none: the alias moves directly', () => {
    const template = compiled();

    applyReleases(template, { codeDeploy: false, abTestVersions: {}, functionLogicalIds: ids });

    expect(Object.keys(template.Resources).filter((id) => /CodeDeploy|App|DeploymentGroup/.test(id))).toEqual([]);
    expect(template.Resources.WorkerLambdaFunctionAliaslive?.UpdatePolicy).toBeUndefined();
  });

  it('routes an A/B weight to a second version on the alias, which then moves without CodeDeploy', () => {
    const template = compiled();

    applyReleases(template, { codeDeploy: true, abTestVersions: { worker: { version: '4', weight: 0.25 } }, functionLogicalIds: ids });

    expect(template.Resources.WorkerLambdaFunctionAliaslive?.Properties?.RoutingConfig).toEqual({ AdditionalVersionWeights: [{ FunctionVersion: '4', FunctionWeight: 0.25 }] });
    expect(template.Resources.WorkerLambdaFunctionAliaslive?.UpdatePolicy).toBeUndefined();
  });

  it('refuses a version placeholder of a function that publishes no version', () => {
    const template = compiled();
    delete template.Resources.WorkerLambdaVersionAbc123;

    expect(() => applyReleases(template, { codeDeploy: true, abTestVersions: {}, functionLogicalIds: ids })).toThrow(ReleaseSettingsError);
  });
});

describe('parseAbTestVersions', () => {
  it('reads the JSON parameter; none, an empty string or weight 0 is no test', () => {
    expect(parseAbTestVersions('{"worker":{"version":"7","weight":0.1}}', KEYS)).toEqual({ worker: { version: '7', weight: 0.1 } });
    expect(parseAbTestVersions('', KEYS)).toEqual({});
    expect(parseAbTestVersions(undefined, KEYS)).toEqual({});
    expect(parseAbTestVersions('{"worker":{"version":"7","weight":0}}', KEYS)).toEqual({});
  });

  it.each([
    ['not json', /not JSON/],
    ['{"other":{"version":"7","weight":0.1}}', /not a function/],
    ['{"worker":{"version":"$LATEST","weight":0.1}}', /published version number/],
    ['{"worker":{"version":"7","weight":1}}', /up to \(not including\) 1/],
    ['{"worker":{"version":"7","weight":"0.1"}}', /must be a number/],
  ])('refuses %s', (value, message) => {
    expect(() => parseAbTestVersions(value, KEYS)).toThrow(message);
  });
});

describe('applyReleases for the local AWS (versions not published)', () => {
  it('points the aliases and the rollback alarms at $LATEST, which sls offline runs for every qualifier', () => {
    const template = compiled();
    delete template.Resources.WorkerLambdaVersionAbc123;

    applyReleases(template, { codeDeploy: false, abTestVersions: {}, functionLogicalIds: ids, versionsPublished: false });

    expect(template.Resources.WorkerLambdaFunctionAliaslive?.Properties?.FunctionVersion).toBe('$LATEST');
    expect(template.Resources.WorkerNewVersionErrorsAlarm?.Properties?.Dimensions).toEqual([{ Name: 'ExecutedVersion', Value: '$LATEST' }]);
  });
});
