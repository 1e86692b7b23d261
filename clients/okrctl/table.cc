#include "clients/okrctl/table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace okrctl {
namespace {

// Display width of UTF-8 text: count code points, not bytes.
size_t Width(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

}  // namespace

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size(), 0);
  for (size_t i = 0; i < header_.size(); ++i) widths[i] = Width(header_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      const std::string pad(widths[i] - Width(cell), ' ');
      const bool right = std::find(right_.begin(), right_.end(), i) != right_.end();
      line += right ? pad + cell : cell + pad;
      if (i + 1 < widths.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_row(header_);
  size_t total = 0;
  for (size_t w : widths) total += w + 2;
  for (const auto& row : rows_) {
    if (row.empty()) {
      out << std::string(total > 2 ? total - 2 : 0, '-') << "\n";
    } else {
      print_row(row);
    }
  }
}

std::string FormatNumber(double value, int decimals) {
  char buf[64];
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  }
  return buf;
}

std::string Bar(double pct, int width) {
  if (!std::isfinite(pct) || pct < 0) pct = 0;
  const int filled = std::min(width, static_cast<int>(std::lround(pct / 100.0 * width)));
  std::string bar = "[";
  for (int i = 0; i < width; ++i) bar += i < filled ? "#" : ".";
  bar += "]";
  return bar;
}

}  // namespace okrctl
