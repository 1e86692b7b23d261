// Aligned text tables for okrctl's human output.
#ifndef OKR_CLIENTS_OKRCTL_TABLE_H_
#define OKR_CLIENTS_OKRCTL_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace okrctl {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  // Columns listed here are right-aligned (numbers).
  Table& AlignRight(std::vector<size_t> columns) {
    right_ = std::move(columns);
    return *this;
  }
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Separator() { rows_.push_back({}); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> right_;
};

// A number for a table: whole values without decimals, others with `decimals`.
std::string FormatNumber(double value, int decimals = 2);

// A bar of `width` cells, filled in proportion to pct (0..100+).
std::string Bar(double pct, int width = 20);

}  // namespace okrctl

#endif  // OKR_CLIENTS_OKRCTL_TABLE_H_
