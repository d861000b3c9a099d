// Text from the server (or the command line) made safe to print: no secret in it, and nothing
// a terminal would act on instead of showing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace snapstate_cli {

/// `text` as one line a terminal only shows: escape sequences (ESC and what it introduces:
/// CSI up to its final byte, OSC/DCS/SOS/PM/APC up to their terminator, or one more
/// character) and the C1 controls (U+0080 to U+009F, CSI and OSC with their sequences) are
/// removed, a line break or tab becomes a space, the other C0 controls and DEL are removed,
/// and bytes that are not UTF-8 become U+FFFD.
std::string terminal_safe(std::string_view text);

/// Each occurrence of any of `secrets` (the longest first, where several start at one place)
/// replaced by "[redacted]", in one pass: what is put in is never searched again, and a
/// "[redacted]" already in `text` is kept whole, so redacting twice changes nothing.
std::string redact(std::string_view text, const std::vector<std::string>& secrets);

/// terminal_safe, then redact: a secret split by control characters is found whole.
std::string printable(std::string_view text, const std::vector<std::string>& secrets);

/// JSON text with the C1 controls and DEL, which JSON may carry raw, escaped (\u0080...):
/// the same JSON, and nothing in it a terminal acts on (the library escapes C0 already).
std::string escape_c1(std::string_view json_text);

}  // namespace snapstate_cli
