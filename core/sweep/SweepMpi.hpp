// `stream-dse sweep --mpi` under mpirun or srun: rank 0 reads the output
// folder, hands out the unfinished points of its shard one at a time to the
// other ranks as they ask (so slow points do not hold up fast ones), and
// appends each record they send back; ranks 1..N-1 run points. With one rank
// it runs the points itself. Built only when CMake finds MPI.
#pragma once

#include "sweep/SweepRunner.hpp"

namespace stream::sweep {

/// Initialises and finalises MPI around the sweep. Every rank returns; only rank 0's summary
/// counts points. `*is_root` tells the caller whether to print.
SweepSummary run_sweep_mpi(const SweepContext& context, const SweepOptions& options, Diagnostics& progress, bool* is_root);

} // namespace stream::sweep
