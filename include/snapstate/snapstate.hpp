/// @file snapstate.hpp
/// @brief Umbrella header: everything the library offers.
///
/// Start with snapstate::SnapStateClient and snapstate::ClientOptions (client.hpp), the result
/// types (types.hpp), the exception hierarchy rooted at snapstate::SnapStateError (errors.hpp)
/// and snapstate::verify_webhook_signature (webhook.hpp). The main page (the README) has the
/// quick start, retries, thread safety and the local server; the examples are runnable.
#pragma once

#include "snapstate/client.hpp"
#include "snapstate/errors.hpp"
#include "snapstate/types.hpp"
#include "snapstate/version.hpp"
#include "snapstate/webhook.hpp"

/// @example quickstart.cpp
/// Two steps saved, a crash, a new client resuming at step 2, step 3 saved, the replay of all
/// three: the README's quick start.

/// @example error_handling.cpp
/// One catch per exception class, and what each one carries.

/// @example agent_identity.cpp
/// Two agents handing a workflow over, each save tagged with the agent that made it.

/// @example typed_state.cpp
/// A struct with nlohmann `to_json`/`from_json` saved and read back as itself.

/// @example watching_attempts.cpp
/// A log line per attempt and metrics per route, from ClientOptions::on_attempt.

/// @example webhook_receiver.cpp
/// A receiver that checks each delivery's signature with verify_webhook_signature().
