// Database connections for the HTTP handlers: a Store object serves one
// thread at a time, so each request borrows one and gives it back.

#ifndef PARLAY_SERVICE_STORE_POOL_H_
#define PARLAY_SERVICE_STORE_POOL_H_

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/store.h"

namespace parlay::service {

// Thread-safe.
class StorePool {
 public:
  using Opener = std::function<std::unique_ptr<Store>()>;

  explicit StorePool(Opener open) : open_(std::move(open)) {}

  // A borrowed Store, returned to the pool when destroyed.
  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<Store> store)
        : pool_(pool), store_(std::move(store)) {}
    ~Lease() { pool_.Return(std::move(store_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Store& operator*() { return *store_; }
    Store* operator->() { return store_.get(); }

   private:
    StorePool& pool_;
    std::unique_ptr<Store> store_;
  };

  // Returns an idle Store, or opens one. Throws StoreError when opening
  // fails.
  Lease Acquire();

 private:
  void Return(std::unique_ptr<Store> store);

  Opener open_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_STORE_POOL_H_
