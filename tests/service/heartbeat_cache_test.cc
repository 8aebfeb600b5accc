// HeartbeatCache: when a read is reused and when the database is read
// again.

#include "service/heartbeat_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace parlay::service {
namespace {

WorkerHeartbeat Beat(const std::string& worker_id, int64_t beat_at_ms) {
  WorkerHeartbeat beat;
  beat.worker_id = worker_id;
  beat.beat_at_ms = beat_at_ms;
  return beat;
}

class HeartbeatCacheTest : public ::testing::Test {
 protected:
  // Reads as the database would: returns `stored_`, or throws when
  // `failing_` is set, and counts the calls.
  HeartbeatCache::ReadFunction Read() {
    return [this] {
      reads_++;
      if (failing_) throw std::runtime_error("database is down");
      return stored_;
    };
  }

  HeartbeatCache cache_;
  std::vector<WorkerHeartbeat> stored_{Beat("a", 1'000)};
  bool failing_ = false;
  int reads_ = 0;
};

TEST_F(HeartbeatCacheTest, ReusesAReadForASecond) {
  auto first = cache_.Get(10'000, 1, Read());
  EXPECT_EQ(reads_, 1);
  ASSERT_EQ(first->beats.size(), 1u);
  EXPECT_EQ(first->read_at_ms, 10'000);

  stored_.push_back(Beat("b", 10'500));
  auto reused = cache_.Get(11'000, 1, Read());  // exactly one second later
  EXPECT_EQ(reads_, 1);
  EXPECT_EQ(reused->beats.size(), 1u);

  auto fresh = cache_.Get(11'001, 1, Read());
  EXPECT_EQ(reads_, 2);
  EXPECT_EQ(fresh->beats.size(), 2u);
  EXPECT_EQ(fresh->read_at_ms, 11'001);
}

TEST_F(HeartbeatCacheTest, NewHeartbeatOfTheWorkerReadsAgain) {
  cache_.Get(10'000, 1, Read());
  stored_[0].beat_at_ms = 10'000;
  auto fresh = cache_.Get(10'000, 2, Read());
  EXPECT_EQ(reads_, 2);
  ASSERT_EQ(fresh->beats.size(), 1u);
  EXPECT_EQ(fresh->beats[0].beat_at_ms, 10'000);
  EXPECT_EQ(fresh->heartbeats_written, 2);
}

TEST_F(HeartbeatCacheTest, ClockGoingBackReadsAgain) {
  cache_.Get(10'000, 1, Read());
  cache_.Get(9'999, 1, Read());
  EXPECT_EQ(reads_, 2);
}

TEST_F(HeartbeatCacheTest, FailedReadIsKeptAsError) {
  failing_ = true;
  auto failed = cache_.Get(10'000, 1, Read());
  ASSERT_TRUE(failed->error.has_value());
  EXPECT_EQ(*failed->error, "database is down");
  EXPECT_TRUE(failed->beats.empty());

  // The failure is reused like a success, so a down database is not asked
  // again by every request.
  failing_ = false;
  EXPECT_TRUE(cache_.Get(10'500, 1, Read())->error.has_value());
  EXPECT_EQ(reads_, 1);
  auto recovered = cache_.Get(11'001, 1, Read());
  EXPECT_FALSE(recovered->error.has_value());
  EXPECT_EQ(recovered->beats.size(), 1u);
}

TEST_F(HeartbeatCacheTest, ConcurrentCallersShareOneRead) {
  std::mutex mutex;
  std::condition_variable changed;
  bool reading = false;
  bool release = false;
  std::atomic<int> reads{0};
  auto blocking_read = [&] {
    reads++;
    std::unique_lock lock(mutex);
    reading = true;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
    return stored_;
  };

  std::shared_ptr<const HeartbeatRead> first;
  std::thread reader([&] { first = cache_.Get(10'000, 1, blocking_read); });
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return reading; });
  }
  // The second caller arrives while the first read is in flight; it waits
  // for that read instead of starting its own.
  std::shared_ptr<const HeartbeatRead> second;
  std::thread waiter([&] { second = cache_.Get(10'000, 1, blocking_read); });
  // Gives the waiter time to reach the cache while the read is in flight.
  // Should it come later, it finds the stored read and the test still
  // passes; a second read fails it either way.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  reader.join();
  waiter.join();
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace parlay::service
