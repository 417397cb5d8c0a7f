#!/usr/bin/env bash
# metering-track-batch scenario: the same set-up as metering-track (an organization, a meter, a
# customer and a usage.write key). Prints METER_TOKEN, CUSTOMER and API_KEY for the wrk script.
exec bash "$(dirname "${BASH_SOURCE[0]}")/metering-track.setup.sh"
