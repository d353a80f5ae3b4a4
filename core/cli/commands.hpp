// The stream-dse subcommands. Each returns the process exit code; errors
// propagate as stream::Error to main(), which reports them once.
#pragma once

#include <string>
#include <vector>

namespace stream::cli {

int cmd_run(const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_tiles(const std::vector<std::string>& args);
int cmd_cost(const std::vector<std::string>& args);
int cmd_workload(const std::vector<std::string>& args);
int cmd_hardware(const std::vector<std::string>& args);
int cmd_import(const std::vector<std::string>& args);
int cmd_plugins(const std::vector<std::string>& args);
int cmd_report(const std::vector<std::string>& args);
int cmd_compare(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);
std::string main_help();
/// The --help text of a subcommand, or empty if there is no such subcommand.
std::string command_help(const std::string& command);

} // namespace stream::cli
