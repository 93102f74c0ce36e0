// Bench for the eMRAM wear map: rows touched per write, the most-written rows, endurance.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/memory/wear.h"

namespace {

using edgevp::memory::wear_entry;
using edgevp::memory::wear_map;

TEST(wear, default_endurance_is_the_22fdx_emram_figure) {
  wear_map w(4, 64);
  EXPECT_EQ(w.endurance(), 100000u);
  EXPECT_EQ(edgevp::memory::emram_endurance_cycles, 100000u);
  EXPECT_EQ(w.rows(), 4u);
  EXPECT_EQ(w.row_bytes(), 64u);
  EXPECT_EQ(w.size(), 256u);
}

TEST(wear, a_write_counts_every_row_it_touches) {
  wear_map w(8, 64);
  w.record_write(0, 4);  // row 0
  EXPECT_EQ(w.count(0), 1u);
  EXPECT_EQ(w.count(1), 0u);
  w.record_write(60, 8);  // rows 0 and 1
  EXPECT_EQ(w.count(0), 2u);
  EXPECT_EQ(w.count(1), 1u);
  w.record_write(64, 64);  // exactly row 1: ends on its last byte
  EXPECT_EQ(w.count(1), 2u);
  EXPECT_EQ(w.count(2), 0u);
  w.record_write(127, 1);  // the last byte of row 1
  EXPECT_EQ(w.count(1), 3u);
  w.record_write(128, 3 * 64 + 1);  // rows 2, 3, 4 and the first byte of 5
  for (std::uint64_t r = 2; r <= 5; ++r) EXPECT_EQ(w.count(r), 1u) << r;
  EXPECT_EQ(w.count(6), 0u);
  w.record_write(511, 1);  // the very last byte
  EXPECT_EQ(w.count(7), 1u);
  EXPECT_EQ(w.total_row_writes(), 1u + 2u + 1u + 1u + 4u + 1u);
}

TEST(wear, empty_and_out_of_range_writes) {
  wear_map w(4, 16);
  w.record_write(10, 0);
  EXPECT_EQ(w.total_row_writes(), 0u);
  EXPECT_THROW(w.record_write(64, 1), std::out_of_range);
  EXPECT_THROW(w.record_write(60, 5), std::out_of_range);
  EXPECT_THROW(w.record_write(~std::uint64_t{0}, 2), std::out_of_range);  // no wrap-around
  EXPECT_EQ(w.total_row_writes(), 0u);
  EXPECT_THROW((void)w.count(4), std::out_of_range);
}

TEST(wear, rows_need_not_be_a_power_of_two) {
  wear_map w(10, 3);
  w.record_write(2, 2);  // bytes 2, 3: rows 0 and 1
  EXPECT_EQ(w.count(0), 1u);
  EXPECT_EQ(w.count(1), 1u);
  w.record_write(29, 1);  // row 9
  EXPECT_EQ(w.count(9), 1u);
  EXPECT_EQ(w.worst(1).front().offset, 0u);
}

TEST(wear, worst_rows_most_first_ties_by_row_index) {
  wear_map w(6, 32);
  for (int i = 0; i < 5; ++i) w.record_write(4 * 32, 4);  // row 4: 5
  for (int i = 0; i < 2; ++i) w.record_write(5 * 32, 4);  // row 5: 2
  for (int i = 0; i < 2; ++i) w.record_write(1 * 32, 4);  // row 1: 2
  w.record_write(3 * 32, 4);                              // row 3: 1
  const std::vector<wear_entry> top = w.worst(3);
  const std::vector<wear_entry> expected = {{4, 128, 5}, {1, 32, 2}, {5, 160, 2}};
  EXPECT_EQ(top, expected);
  const std::vector<wear_entry> all = w.worst(100);  // clipped to the rows
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[3], (wear_entry{3, 96, 1}));
  EXPECT_EQ(all[4], (wear_entry{0, 0, 0}));  // untouched rows last, by index
  EXPECT_EQ(all[5], (wear_entry{2, 64, 0}));
  EXPECT_TRUE(w.worst(0).empty());
}

TEST(wear, endurance_is_exceeded_once_per_row) {
  wear_map w(4, 8, 3);
  std::vector<wear_entry> warned;
  w.on_worn_out = [&](const wear_entry& e) { warned.push_back(e); };
  for (int i = 0; i < 3; ++i) w.record_write(8, 1);  // row 1 at the endurance: still fine
  EXPECT_EQ(w.over_endurance(), 0u);
  EXPECT_TRUE(warned.empty());
  w.record_write(8, 1);  // past it
  EXPECT_EQ(w.over_endurance(), 1u);
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0], (wear_entry{1, 8, 4}));
  for (int i = 0; i < 10; ++i) w.record_write(8, 1);  // one-shot: no more warnings for row 1
  EXPECT_EQ(warned.size(), 1u);
  EXPECT_EQ(w.over_endurance(), 1u);
  for (int i = 0; i < 4; ++i) w.record_write(16, 16);  // rows 2 and 3 cross together
  EXPECT_EQ(w.over_endurance(), 3u);
  ASSERT_EQ(warned.size(), 3u);
  EXPECT_EQ(warned[1].row, 2u);
  EXPECT_EQ(warned[2].row, 3u);
}

TEST(wear, clear_starts_a_new_part) {
  wear_map w(2, 8, 1);
  w.record_write(0, 16);
  w.record_write(0, 16);
  EXPECT_EQ(w.over_endurance(), 2u);
  w.clear();
  EXPECT_EQ(w.over_endurance(), 0u);
  EXPECT_EQ(w.count(0), 0u);
  EXPECT_EQ(w.total_row_writes(), 0u);
}

TEST(wear, bad_geometry_is_rejected) {
  EXPECT_THROW(wear_map(0, 64), std::invalid_argument);
  EXPECT_THROW(wear_map(4, 0), std::invalid_argument);
  EXPECT_THROW(wear_map(4, 64, 0), std::invalid_argument);
  EXPECT_THROW(wear_map(std::uint64_t{1} << 40, std::uint64_t{1} << 40), std::invalid_argument);
}

}  // namespace
