"""Fn::Sub with a variable map whose names are not Python identifiers, as CloudFormation takes them.

moto substitutes the map's variables with `string.Template`, whose names must start with a letter or
an underscore; any other `${name}` it then reads as a `Ref` to a resource of that name. CloudFormation
takes any variable name. serverless-step-functions names each ARN of a state machine definition by a
hash (`${7cdd9df8...}`), so a hash starting with a digit failed the whole deploy rehearsal with a
KeyError (moto answered 500). Here the map's variables are put in first, by name, and what is left
goes to moto's own Fn::Sub (pseudo parameters, `${Resource}`, `${Resource.Attribute}`, `${!Literal}`).
"""

from moto.cloudformation import parsing

_clean_json = parsing.clean_json


def _clean_json_with_any_sub_variable(resource_json, resources_map):
    sub = resource_json.get("Fn::Sub") if isinstance(resource_json, dict) else None
    if isinstance(sub, list) and len(sub) == 2 and isinstance(sub[0], str) and isinstance(sub[1], dict):
        template, variables = sub
        for name, value in variables.items():
            template = template.replace("${" + name + "}", str(_clean_json_with_any_sub_variable(value, resources_map)))
        return _clean_json({"Fn::Sub": template}, resources_map)
    return _clean_json(resource_json, resources_map)


parsing.clean_json = _clean_json_with_any_sub_variable
