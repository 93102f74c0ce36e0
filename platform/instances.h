// edgevp: the configuration of block and accelerator instances, from the kinds' declarations.
//
// `peripherals = uart,rtc,gpio` and `accel = cim0,cim1,snn0,tta0,cgra0` list the instances; each instance's kind
// (`NAME.kind`) decides which keys it has. Every key is a declaration (core::param_spec) of the
// kind or of every instance: this file turns declarations into options, parses the values given
// against them (a relative path against the directory of the file that gave it) and fills the
// instances. It names no kind.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>

#include "models/accelerators/registry.h"
#include "models/core/block.h"
#include "platform/options.h"

namespace edgevp::platform {

// An instance the configuration lists, and its kind.
struct instance_decl {
  std::string name;
  std::string kind;
};

struct instance_decls {
  std::vector<instance_decl> blocks;  // peripherals
  std::vector<instance_decl> accels;
};

// Every key of an instance of a kind (nullptr: the keys every instance has) with its declaration:
// ("base", spec), ("rows", spec), ("power.mac_i8w8", spec), ...
using declared_keys = std::vector<std::pair<std::string, core::param_spec>>;
declared_keys accel_keys(const accel::kind_info* k);
declared_keys block_keys(const core::block_kind* k);

// The options of one instance (`name` may be the placeholder NAME, for --help): text values, parsed
// against their declarations by make_instances.
void add_declared_options(boost::program_options::options_description& d, const std::string& name,
                          const declared_keys& keys);

// The instances from pass 1's values: the `peripherals` and `accel` lists (empty: the defaults) and
// the `NAME.kind` values found (first wins). Throws usage_error naming the option.
instance_decls declare_instances(const std::string& peripherals, const std::string& accel,
                                 const std::vector<std::pair<std::string, std::string>>& kinds);

// Every instance's options.
boost::program_options::options_description instance_description(const instance_decls& decls);

// The instances, their values parsed and checked; path values in `given` become the resolved paths
// (a report's configuration reruns from any directory). Throws usage_error naming the key.
void make_instances(const boost::program_options::variables_map& vm, const instance_decls& decls,
                    std::map<std::string, given_value>& given, soc_config& soc);

// Adds every declared key of each instance that was not given to `configuration`, with its value
// (origin "default").
void echo_instance_defaults(const soc_config& soc, std::map<std::string, given_value>& configuration);

// "FILE: " when a file (configuration, scenario, report) gave `key`, else "": a message's prefix.
std::string source_of(const std::map<std::string, given_value>& given, const std::string& key);

// The kinds, with the RTL library's implementations registered.
const accel::registry& accel_kinds();
const core::block_registry& block_kinds();

}  // namespace edgevp::platform
