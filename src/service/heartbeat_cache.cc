#include "service/heartbeat_cache.h"

#include <exception>

namespace parlay::service {

std::shared_ptr<const HeartbeatRead> HeartbeatCache::Get(
    int64_t now_ms, int64_t heartbeats_written, const ReadFunction& read) {
  std::lock_guard lock(mutex_);
  // A clock that went back also makes the read too old to trust.
  if (last_ != nullptr && last_->heartbeats_written == heartbeats_written &&
      now_ms >= last_->read_at_ms &&
      now_ms - last_->read_at_ms <= kHeartbeatReadMaxAgeMs) {
    return last_;
  }
  auto fresh = std::make_shared<HeartbeatRead>();
  fresh->read_at_ms = now_ms;
  fresh->heartbeats_written = heartbeats_written;
  try {
    fresh->beats = read();
  } catch (const std::exception& failure) {
    fresh->error = failure.what();
  }
  last_ = std::move(fresh);
  return last_;
}

}  // namespace parlay::service
