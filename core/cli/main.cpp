// stream-dse: the command-line entry. Errors are reported here, once, with
// their location, and mapped to the documented exit codes.
#include "cli/commands.hpp"
#include "error/Error.hpp"
#include "version.hpp"

#include <stream/plugin.h>

#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
            if (args.size() > 1) {
                std::string h = stream::cli::command_help(args[1]);
                if (!h.empty()) return fmt::print("{}", h), 0;
            }
            fmt::print("{}", stream::cli::main_help());
            return args.empty() ? stream::exit_code(stream::ErrorKind::BadInput) : 0;
        }
        if (args[0] == "--version") {
            fmt::print("stream-dse {} (plugin ABI {}.{})\n", stream::kStreamDseVersion, STREAM_ABI_MAJOR, STREAM_ABI_MINOR);
            return 0;
        }
        std::string command = args[0];
        std::vector<std::string> rest(args.begin() + 1, args.end());
        if (command == "run") return stream::cli::cmd_run(rest);
        if (command == "check") return stream::cli::cmd_check(rest);
        if (command == "tiles") return stream::cli::cmd_tiles(rest);
        if (command == "cost") return stream::cli::cmd_cost(rest);
        if (command == "plugins") return stream::cli::cmd_plugins(rest);
        if (command == "workload") return stream::cli::cmd_workload(rest);
        if (command == "hardware") return stream::cli::cmd_hardware(rest);
        if (command == "import") return stream::cli::cmd_import(rest);
        if (command == "report") return stream::cli::cmd_report(rest);
        if (command == "compare") return stream::cli::cmd_compare(rest);
        if (command == "sweep") return stream::cli::cmd_sweep(rest);
        if (command == "merge") return stream::cli::cmd_merge(rest);
        fmt::print(stderr, "stream-dse: unknown command '{}'; commands are run, check, tiles, cost, workload, hardware, import, plugins, report, compare, sweep, merge (see 'stream-dse --help')\n",
                   command);
        return stream::exit_code(stream::ErrorKind::BadInput);
    } catch (const stream::Error& e) {
        std::fflush(stdout);
        fmt::print(stderr, "stream-dse: error: {}\n", e.what());
        return stream::exit_code(e.kind());
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "stream-dse: internal error: {}\n", e.what());
        return stream::exit_code(stream::ErrorKind::Internal);
    }
}
