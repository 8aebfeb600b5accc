// The service fixture of tests/service, started with the database
// connections `serve` opens instead of the fault-injecting wrappers.

#ifndef PARLAY_TESTS_RELIABILITY_REAL_STORE_SERVICE_H_
#define PARLAY_TESTS_RELIABILITY_REAL_STORE_SERVICE_H_

#include "service/service_fixture.h"

namespace parlay::reliability {

class RealStoreServiceTest : public testing::ServiceTest {
 protected:
  // Starts the service as ServiceTest::Start does. The worker's store
  // comes from `open_worker_store` when given; every other store is the
  // service's default.
  void StartWithRealStores(
      const service::ServiceConfig& config,
      std::function<std::unique_ptr<Store>(const std::string&)>
          open_worker_store = {}) {
    service::ServiceOptions options;
    options.clock = &clock_;
    options.worker_id = testing::kWorkerId;
    options.open_worker_store = std::move(open_worker_store);
    service_ = std::make_unique<service::Service>(config, options);
    service_->Start();
    ASSERT_TRUE(
        service_->worker().RunCycleNow(std::chrono::seconds(30)).has_value());
  }
};

}  // namespace parlay::reliability

#endif  // PARLAY_TESTS_RELIABILITY_REAL_STORE_SERVICE_H_
