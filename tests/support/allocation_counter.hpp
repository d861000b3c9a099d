// Counts what operator new hands out in this program: linked in (allocation_counter.cpp
// replaces the global operator new and delete), it tells a test or a benchmark how many
// allocations, and how many bytes, a piece of code asked for. Costs a relaxed atomic add.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapstate::testing {

struct AllocationCount {
  std::uint64_t calls = 0;
  std::uint64_t bytes = 0;
};

// Allocations made so far by the calling thread.
AllocationCount thread_allocations() noexcept;

// The allocations the calling thread makes while `fn` runs.
template <class F>
AllocationCount allocations_of(F&& fn) {
  const AllocationCount before = thread_allocations();
  fn();
  const AllocationCount after = thread_allocations();
  return {after.calls - before.calls, after.bytes - before.bytes};
}

}  // namespace snapstate::testing
