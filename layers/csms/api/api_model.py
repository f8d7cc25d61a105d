"""The base of every request and response body: camelCase on the wire, snake_case in Python.

Apart from `csms.api.models` so that the error shape (`csms.api.errors`), which every request may
answer, comes without the resources' models.
"""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
