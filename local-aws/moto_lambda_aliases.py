"""Lambda versions and aliases in moto's CloudFormation (imported by moto-server.py), for the deploy rehearsal.

moto 5.2.1 has Lambda's alias API but its CloudFormation does not create AWS::Lambda::Alias, and
its AWS::Lambda::Version answers neither `Ref` (the version ARN) nor `Fn::GetAtt Version`: every
trigger of the stack names a function's `live` alias (docs/releases.md), so without these the
rehearsal could not deploy it. What this adds, as CloudFormation does it:
- AWS::Lambda::Version: `Ref` is the version's ARN, `Fn::GetAtt [.., Version]` its number;
- AWS::Lambda::Alias: create (CreateAlias), update (UpdateAlias: a new FunctionVersion or
  RoutingConfig moves the alias), delete (DeleteAlias); `Ref` and `AliasArn` are its ARN.
- on a stack update, a new AWS::Lambda::Version is published after its function's new code and
  configuration are applied, as CloudFormation orders them (the Version refers to the function);
  moto adds new resources before it modifies the others, so it would publish the old code again.
CodeDeploy's UpdatePolicy is not run (moto's CloudFormation has no CodeDeploy resources): the
rehearsal's stage deploys without CodeDeploy (param codeDeploy false).
"""
from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.models import LambdaVersion, lambda_backends
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.core.common_models import CloudFormationModel

_create_version = LambdaVersion.create_from_cloudformation_json.__func__


def _create_version_with_arn(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    version = _create_version(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    function = lambda_backends[account_id][region_name].get_function(cloudformation_json["Properties"]["FunctionName"])
    version.arn = f"{function.function_arn.split(':function:')[0]}:function:{function.function_name}:{version.version}"
    return version


def _version_attribute(self, attribute_name):
    if attribute_name == "Version":
        return str(self.version)
    raise UnformattedGetAttTemplateException()


LambdaVersion.create_from_cloudformation_json = classmethod(_create_version_with_arn)
LambdaVersion.physical_resource_id = property(lambda self: self.arn)
LambdaVersion.has_cfn_attr = classmethod(lambda cls, attr: attr == "Version")
LambdaVersion.get_cfn_attribute = _version_attribute


def _alias_arguments(properties):
    return {
        "name": properties["Name"],
        "function_name": properties["FunctionName"],
        "function_version": str(properties["FunctionVersion"]),
        "description": properties.get("Description", ""),
        "routing_config": properties.get("RoutingConfig"),
    }


class LambdaAliasResource(CloudFormationModel):
    # moto's model registry files each model under the service its module names.
    __module__ = "moto.awslambda.models"

    def __init__(self, alias, function_name, account_id, region_name):
        self.alias = alias
        self.function_name = function_name
        self.account_id = account_id
        self.region_name = region_name

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @staticmethod
    def cloudformation_type():
        return "AWS::Lambda::Alias"

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "AliasArn"

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "AliasArn":
            return self.alias.arn
        raise UnformattedGetAttTemplateException()

    @property
    def physical_resource_id(self):
        return self.alias.arn

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        arguments = _alias_arguments(cloudformation_json["Properties"])
        alias = lambda_backends[account_id][region_name].create_alias(**arguments)
        return cls(alias, arguments["function_name"], account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        arguments = _alias_arguments(cloudformation_json["Properties"])
        alias = lambda_backends[account_id][region_name].update_alias(**arguments)
        return cls(alias, arguments["function_name"], account_id, region_name)

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json.get("Properties", {})
        if isinstance(properties.get("FunctionName"), str):
            lambda_backends[account_id][region_name].delete_alias(properties["Name"], properties["FunctionName"])

    def delete(self, account_id, region_name):
        try:
            lambda_backends[account_id][region_name].delete_alias(self.alias.name, self.function_name)
        except UnknownFunctionException:
            pass  # deleted with its function (a stack's deletion order is moto's)


_update_stack = parsing.ResourceMap.update
_create_resource = parsing.parse_and_create_resource


def _update_stack_in_order(self, template, parameters=None):
    self._updating_stack = True
    try:
        return _update_stack(self, template, parameters)
    finally:
        self._updating_stack = False


def _create_resource_after_its_function(logical_id, resource_json, resources_map, account_id, region_name):
    function_id = (resource_json.get("Properties", {}).get("FunctionName") or {})
    function_id = function_id.get("Ref") if isinstance(function_id, dict) else None
    if resource_json.get("Type") == "AWS::Lambda::Version" and getattr(resources_map, "_updating_stack", False) and function_id:
        # The function's update, before the version of it is published (moto modifies it again later: harmless).
        parsing.parse_and_update_resource(function_id, resources_map._resource_json_map[function_id], resources_map, account_id, region_name)
    return _create_resource(logical_id, resource_json, resources_map, account_id, region_name)


parsing.ResourceMap.update = _update_stack_in_order
parsing.parse_and_create_resource = _create_resource_after_its_function
