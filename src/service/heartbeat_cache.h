// The last read of the heartbeat table, shared by the requests to
// GET /health/settlement.
//
// Without it every request reads the database: on PostgreSQL a round trip
// to a server that shares the machine's cores with the settlement. With it
// the route reads at most once per kHeartbeatReadMaxAgeMs. It reads again
// once this process's worker has counted a new heartbeat, which the worker
// does right after writing it, so the worker's own heartbeat shows at once.
// Other workers' heartbeats, and a database that stopped answering, show
// up at most kHeartbeatReadMaxAgeMs late.

#ifndef PARLAY_SERVICE_HEARTBEAT_CACHE_H_
#define PARLAY_SERVICE_HEARTBEAT_CACHE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace parlay::service {

// How long one read of the heartbeats serves /health/settlement.
inline constexpr int64_t kHeartbeatReadMaxAgeMs = 1000;

struct HeartbeatRead {
  int64_t read_at_ms = 0;
  // The worker's WorkerStatus::heartbeats_written when the read began.
  int64_t heartbeats_written = 0;
  std::vector<WorkerHeartbeat> beats;  // every worker's, as stored
  std::optional<std::string> error;    // set when the read failed
};

// Thread-safe.
class HeartbeatCache {
 public:
  using ReadFunction = std::function<std::vector<WorkerHeartbeat>()>;

  // Returns the last read when it began at most kHeartbeatReadMaxAgeMs
  // before now_ms and after the worker's heartbeats_written-th heartbeat.
  // Otherwise calls `read` and keeps its result, or its exception's
  // message as the error. Concurrent callers wait for the one read in
  // flight instead of starting their own.
  std::shared_ptr<const HeartbeatRead> Get(int64_t now_ms,
                                           int64_t heartbeats_written,
                                           const ReadFunction& read);

 private:
  std::mutex mutex_;
  std::shared_ptr<const HeartbeatRead> last_;  // guarded by mutex_
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_HEARTBEAT_CACHE_H_
