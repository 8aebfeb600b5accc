// Database connections for the HTTP handlers: a Store object serves one
// thread at a time, so each request borrows one and gives it back.

#ifndef PARLAY_SERVICE_STORE_POOL_H_
#define PARLAY_SERVICE_STORE_POOL_H_

#include <atomic>
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

  // With a `writer_mutex`, each Lease holds it, so that at most one Store
  // of the pool is borrowed at a time and the other holders of the mutex
  // (the settlement worker) take turns with the borrowers.
  explicit StorePool(Opener open, std::mutex* writer_mutex = nullptr)
      : open_(std::move(open)), writer_mutex_(writer_mutex) {}

  // A borrowed Store, returned to the pool when destroyed.
  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<Store> store,
          std::unique_lock<std::mutex> turn)
        : turn_(std::move(turn)), pool_(pool), store_(std::move(store)) {}
    ~Lease() { pool_.Return(std::move(store_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Store& operator*() { return *store_; }
    Store* operator->() { return store_.get(); }

   private:
    std::unique_lock<std::mutex> turn_;  // released after the Store returns
    StorePool& pool_;
    std::unique_ptr<Store> store_;
  };

  // Returns an idle Store, or opens one, after waiting for the writer
  // mutex if the pool has one. Throws StoreError when opening fails.
  Lease Acquire();

  // Number of Leases held or waiting for the writer mutex.
  int leased() const { return leased_; }

 private:
  void Return(std::unique_ptr<Store> store);

  Opener open_;
  std::mutex* const writer_mutex_;
  std::atomic<int> leased_{0};
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace parlay::service

#endif  // PARLAY_SERVICE_STORE_POOL_H_
