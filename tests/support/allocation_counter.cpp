#include "allocation_counter.hpp"

#include <cstdlib>
#include <new>

namespace snapstate::testing {

namespace {

// Plain thread-locals of trivial type: no allocation, no constructor, safe inside operator new.
thread_local std::uint64_t tls_calls = 0;
thread_local std::uint64_t tls_bytes = 0;

void* allocate(std::size_t size) {
  ++tls_calls;
  tls_bytes += size;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

}  // namespace

AllocationCount thread_allocations() noexcept {
  return {tls_calls, tls_bytes};
}

}  // namespace snapstate::testing

void* operator new(std::size_t size) {
  return snapstate::testing::allocate(size);
}
void* operator new[](std::size_t size) {
  return snapstate::testing::allocate(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return snapstate::testing::allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return snapstate::testing::allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
