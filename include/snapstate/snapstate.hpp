/// @file snapstate.hpp
/// @brief Umbrella header: everything the library offers.
#pragma once

#include "snapstate/client.hpp"
#include "snapstate/errors.hpp"
#include "snapstate/types.hpp"
#include "snapstate/version.hpp"
#include "snapstate/webhook.hpp"
