"""Firmware images: registered by operators (`registry`), stored in the FleetFiles bucket under `firmware/<id>`,
rolled out by firmware campaigns (`csms.campaigns.operations`) and published to local controllers.

`models` and `rules` are pure (an image's fields and what they may be); `ports` is the repository; `registry` is
what the operator API calls.
"""
