// Bench for the comparison behind --coverify (platform/coverify.cc): two accelerator logs, as
// --accel-log writes them, compared job by job; each kind of difference is reported first with
// the job, the field or address and both values.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "platform/coverify.h"

namespace {

using edgevp::platform::compare_accel_logs;

std::string job(unsigned n, unsigned cycles, const std::string& writes = R"([[2147483648,"0102"]])",
                const std::string& error = "none", unsigned ops = 64) {
  return R"({"block":"cim0","job":)" + std::to_string(n) + R"(,"end_ps":1000,"error":")" + error +
         R"(","err_desc":0,"err_addr":0,"descriptors":1,"cycles":)" + std::to_string(cycles) + R"(,"ops":)" +
         std::to_string(ops) + R"(,"writes":)" + writes + "}";
}
std::string other_block() {
  return R"({"block":"cim1","job":1,"end_ps":5,"error":"none","err_desc":0,"err_addr":0,"descriptors":1,"cycles":9,"ops":0,"writes":[]})";
}
std::string end(unsigned irqs) { return R"({"block":"cim0","end":true,"irqs":)" + std::to_string(irqs) + R"(,"jobs":2})"; }

struct logs {
  std::string tlm = ::testing::TempDir() + "coverify_tlm_" + std::to_string(::getpid()) + ".jsonl";
  std::string rtl = ::testing::TempDir() + "coverify_rtl_" + std::to_string(::getpid()) + ".jsonl";
  logs(const std::vector<std::string>& t, const std::vector<std::string>& r) {
    std::ofstream a(tlm), b(rtl);
    for (const auto& l : t) a << l << '\n';
    for (const auto& l : r) b << l << '\n';
  }
  ~logs() {
    std::remove(tlm.c_str());
    std::remove(rtl.c_str());
  }
  edgevp::platform::coverify_result compare(double tol = 0.2, std::uint64_t slack = 16) const {
    return compare_accel_logs(tlm, rtl, "cim0", tol, slack);
  }
};

TEST(coverify, identical_jobs_match_and_other_blocks_are_ignored) {
  logs l({job(1, 100), other_block(), job(2, 200), end(2)}, {job(1, 110), job(2, 190), end(2)});
  const auto r = l.compare();
  EXPECT_TRUE(r.match) << r.first_mismatch;
  EXPECT_EQ(r.jobs, 2u);
  EXPECT_EQ(r.bytes, 4u);
  EXPECT_EQ(r.irqs, 2u);
  EXPECT_EQ(r.tlm_cycles, 300u);
  EXPECT_EQ(r.rtl_cycles, 300u);
  EXPECT_NEAR(r.max_error, 0.1, 1e-12);
  EXPECT_EQ(r.max_error_job, 1u);
  EXPECT_NEAR(r.mean_error, 0.075, 1e-12);
}

TEST(coverify, a_different_byte_is_reported_with_its_address_and_both_values) {
  logs l({job(1, 100), job(2, 100, R"([[2147483648,"0102ff"]])"), end(2)},
         {job(1, 100), job(2, 100, R"([[2147483648,"0103ff"]])"), end(2)});
  const auto r = l.compare();
  EXPECT_FALSE(r.match);
  EXPECT_EQ(r.first_mismatch, "job 2: memory 0x80000001: rtl 0x3, tlm 0x2");
}

TEST(coverify, bytes_written_by_one_side_only_are_reported) {
  logs a({job(1, 100, R"([[16,"01"],[32,"02"]])"), end(1)}, {job(1, 100, R"([[16,"01"]])"), end(1)});
  EXPECT_EQ(a.compare().first_mismatch, "job 1: memory 0x20: tlm wrote 0x2, rtl did not write it");
  logs b({job(1, 100, R"([[16,"01"]])"), end(1)}, {job(1, 100, R"([[16,"0107"]])"), end(1)});
  EXPECT_EQ(b.compare().first_mismatch, "job 1: memory 0x11: rtl wrote 0x7, tlm did not write it");
}

TEST(coverify, outcome_and_counters_must_agree) {
  logs a({job(1, 100), end(1)}, {job(1, 100, "[]", "shape"), end(1)});
  EXPECT_EQ(a.compare().first_mismatch, "job 1: error: rtl shape, tlm none");
  logs b({job(1, 100), end(1)}, {job(1, 100, R"([[2147483648,"0102"]])", "none", 65), end(1)});
  EXPECT_EQ(b.compare().first_mismatch, "job 1: ops: rtl 65, tlm 64");
}

TEST(coverify, cycles_beyond_the_tolerance_and_slack_fail) {
  logs l({job(1, 100), end(1)}, {job(1, 137), end(1)});
  EXPECT_TRUE(l.compare(0.2, 17).match);
  const auto r = l.compare(0.2, 16);
  EXPECT_FALSE(r.match);
  EXPECT_EQ(r.first_mismatch, "job 1: cycles: rtl 137, tlm 100 (error 37.0 %; allowed 20 % + 16 cycles)");
}

TEST(coverify, job_counts_and_interrupts_must_agree) {
  logs a({job(1, 100), job(2, 100), end(2)}, {job(1, 100), end(2)});
  EXPECT_EQ(a.compare().first_mismatch, "jobs: rtl ran 1, tlm ran 2 (the first 1 agree)");
  logs b({job(1, 100), end(2)}, {job(1, 100), end(1)});
  EXPECT_EQ(b.compare().first_mismatch, "interrupts: rtl raised 1, tlm 2");
}

TEST(coverify, an_unfinished_or_corrupt_log_is_an_error_naming_the_file) {
  logs a({job(1, 100), end(1)}, {job(1, 100)});
  try {
    (void)a.compare();
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no end record for cim0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(a.rtl), std::string::npos) << e.what();
  }
  logs b({"{not json", end(1)}, {job(1, 100), end(1)});
  EXPECT_THROW((void)b.compare(), std::runtime_error);
  EXPECT_THROW((void)compare_accel_logs("/nonexistent/a", "/nonexistent/b", "cim0", 0.2, 16), std::runtime_error);
}

}  // namespace
