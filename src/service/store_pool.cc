#include "service/store_pool.h"

namespace parlay::service {

StorePool::Lease StorePool::Acquire() {
  // Counted before waiting, so that the worker's check between batches
  // counts the waiting request and lets it go first.
  ++leased_;
  try {
    std::unique_lock<std::mutex> turn;
    if (writer_mutex_ != nullptr) turn = std::unique_lock(*writer_mutex_);
    std::unique_ptr<Store> store;
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        store = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!store) store = open_();
    return Lease(*this, std::move(store), std::move(turn));
  } catch (...) {
    --leased_;
    throw;
  }
}

void StorePool::Return(std::unique_ptr<Store> store) {
  if (!store) return;
  --leased_;
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace parlay::service
