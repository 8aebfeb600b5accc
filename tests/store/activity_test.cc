// Store::RecordActivity and ReadActivity: increments add up per hour and
// source, reads sum the sources of each hour, and concurrent writers on
// separate connections lose no increment.

#include <gtest/gtest.h>

#include <thread>

#include "store/store.h"
#include "support/test_database.h"

namespace parlay {
namespace {

constexpr int64_t kHour = 1'700'000'000 / 3600 * 3600;

class ActivityTest : public ::testing::TestWithParam<testing::Backend> {};

HourlyActivity Activity(int64_t hour_start, int64_t legs, int64_t staked) {
  HourlyActivity activity;
  activity.hour_start = hour_start;
  activity.cycles = 1;
  activity.games_attempted = 2;
  activity.legs_settled = legs;
  activity.parlays_won = 1;
  activity.staked_minor["USD"] = staked;
  activity.paid_minor["USD"] = 2 * staked;
  return activity;
}

TEST_P(ActivityTest, SourcesSummedPerHour) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  std::unique_ptr<Store> store = database.Open();

  store->RecordActivity("worker-a", Activity(kHour, 5, 100));
  store->RecordActivity("worker-a", Activity(kHour, 3, 50));
  store->RecordActivity("worker-b", Activity(kHour, 4, 10));
  HourlyActivity euro = Activity(kHour + 3600, 1, 700);
  euro.staked_minor = {{"EUR", 700}};
  euro.paid_minor = {{"EUR", 0}};
  store->RecordActivity("worker-b", euro);
  store->RecordActivity("worker-a", Activity(kHour - 7200, 9, 9));

  const std::vector<HourlyActivity> hours =
      store->ReadActivity(kHour, kHour + 3600);
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].hour_start, kHour);
  EXPECT_EQ(hours[0].cycles, 3);
  EXPECT_EQ(hours[0].games_attempted, 6);
  EXPECT_EQ(hours[0].legs_settled, 12);
  EXPECT_EQ(hours[0].parlays_won, 3);
  EXPECT_EQ(hours[0].staked_minor.at("USD"), 160);
  EXPECT_EQ(hours[0].paid_minor.at("USD"), 320);
  EXPECT_EQ(hours[0].staked_minor.count("EUR"), 0u);
  EXPECT_EQ(hours[1].hour_start, kHour + 3600);
  EXPECT_EQ(hours[1].legs_settled, 1);
  EXPECT_EQ(hours[1].staked_minor.at("EUR"), 700);
  EXPECT_EQ(hours[1].paid_minor.at("EUR"), 0);
  EXPECT_EQ(hours[1].staked_minor.count("USD"), 0u);

  // The hour two hours earlier lies outside the range.
  EXPECT_EQ(store->ReadActivity(kHour - 7200, kHour - 3600).size(), 1u);
  EXPECT_TRUE(store->ReadActivity(kHour + 7200, kHour + 36000).empty());
}

TEST_P(ActivityTest, ConcurrentWritersLoseNothing) {
  testing::TestDatabase database(GetParam());
  PARLAY_REQUIRE_DATABASE(database);
  database.Open();  // migrates once before the writers start

  // Four connections add 25 times each to the same row.
  constexpr int kWriters = 4;
  constexpr int kWrites = 25;
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&database] {
      std::unique_ptr<Store> store = database.Open();
      for (int n = 0; n < kWrites; ++n) {
        store->RecordActivity("shared", Activity(kHour, 1, 1));
      }
    });
  }
  for (std::thread& writer : writers) writer.join();

  const std::vector<HourlyActivity> hours =
      database.Open()->ReadActivity(kHour, kHour);
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0].cycles, kWriters * kWrites);
  EXPECT_EQ(hours[0].legs_settled, kWriters * kWrites);
  EXPECT_EQ(hours[0].staked_minor.at("USD"), kWriters * kWrites);
}

INSTANTIATE_TEST_SUITE_P(Backends, ActivityTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
