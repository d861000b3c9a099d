// Names a value-parameterized test after its parameter's `name` member.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace snapstate::testing {

struct ParamName {
  template <class P>
  std::string operator()(const ::testing::TestParamInfo<P>& param_info) const {
    return std::string(param_info.param.name);
  }
};

}  // namespace snapstate::testing
