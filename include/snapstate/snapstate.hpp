/// @file snapstate.hpp
/// @brief Umbrella header: everything the library offers.
///
/// @mainpage snapstate-cpp
/// The C++ client library for SnapState: AI agents save their state after each step of a
/// workflow, resume it after a crash or a handoff, and replay the history.
///
/// Start with snapstate::SnapStateClient and snapstate::ClientOptions (client.hpp), the result
/// types (types.hpp), the exception hierarchy rooted at snapstate::SnapStateError (errors.hpp)
/// and snapstate::verify_webhook_signature (webhook.hpp). The README has the quick start,
/// retries, thread safety and the local server.
#pragma once

#include "snapstate/client.hpp"
#include "snapstate/errors.hpp"
#include "snapstate/types.hpp"
#include "snapstate/version.hpp"
#include "snapstate/webhook.hpp"
