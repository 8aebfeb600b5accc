#include "service/store_pool.h"

namespace parlay::service {

StorePool::Lease StorePool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Store> store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(store));
    }
  }
  return Lease(*this, open_());
}

void StorePool::Return(std::unique_ptr<Store> store) {
  if (!store) return;
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace parlay::service
