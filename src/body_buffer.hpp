// Request bodies are written into the calling thread's previous body buffer, so a large save
// goes out without growing (and page-faulting) a fresh buffer every time.
#pragma once

#include <string>

namespace snapstate::detail {

// An empty string, with the capacity of the last buffer this thread gave back.
std::string take_body_buffer();

// Keeps `buffer` for this thread's next body, unless it grew past what a body may hold.
void recycle_body_buffer(std::string&& buffer) noexcept;

}  // namespace snapstate::detail
