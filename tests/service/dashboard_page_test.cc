// The dashboard page and its script and style sheet, served from the
// binary with a content security policy that allows only this server.

#include <gtest/gtest.h>

#include "service_fixture.h"

namespace parlay {
namespace {

using testing::ServiceTest;

class DashboardPageTest : public ServiceTest {
 protected:
  static std::string Header(const Reply& reply, const std::string& name) {
    const auto found = reply.headers.find(name);
    return found == reply.headers.end() ? "" : found->second;
  }
};

TEST_P(DashboardPageTest, PageServedAtRootAndDashboard) {
  Start(BaseConfig());
  Reply root = Get("/");
  ASSERT_EQ(root.status, 200);
  EXPECT_EQ(Header(root, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(root.text.find("<meta name=\"viewport\""), std::string::npos);
  EXPECT_NE(root.text.find("<script src=\"/dashboard/dashboard.js\""),
            std::string::npos);
  // Nothing on the page loads from another host.
  EXPECT_EQ(root.text.find("http://"), std::string::npos);
  EXPECT_EQ(root.text.find("https://"), std::string::npos);

  const std::string policy = Header(root, "Content-Security-Policy");
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
  EXPECT_EQ(Header(root, "X-Content-Type-Options"), "nosniff");

  Reply dashboard = Get("/dashboard");
  ASSERT_EQ(dashboard.status, 200);
  EXPECT_EQ(dashboard.text, root.text);
}

TEST_P(DashboardPageTest, ScriptInsertsNoHtml) {
  Start(BaseConfig());
  Reply script = Get("/dashboard/dashboard.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(Header(script, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(script.text.find("/v1/dashboard/activity"), std::string::npos);
  // Server data goes into the page as text only.
  for (const char* sink :
       {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
        "eval(", "new Function"}) {
    EXPECT_EQ(script.text.find(sink), std::string::npos) << sink;
  }

  Reply style = Get("/dashboard/dashboard.css");
  ASSERT_EQ(style.status, 200);
  EXPECT_EQ(Header(style, "Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(style.text.find("@media"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, DashboardPageTest, testing::AllBackends(),
                         testing::BackendName);

}  // namespace
}  // namespace parlay
