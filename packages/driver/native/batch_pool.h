// A fixed set of large batch buffers shared with JavaScript without copying: JS sees each one as
// an external ArrayBuffer created once. The consumer thread fills a free slot; JS hands it back
// when the batch has been processed. No free slot means the consumer stops draining, the ring
// buffer fills, and the kernel counts the drops: the kernel is never blocked.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace driver {

struct BatchSlot {
  std::unique_ptr<uint8_t[]> data;
  size_t capacity = 0;
  size_t used = 0;
  uint32_t count = 0;
  bool busy = false;  // owned by JavaScript
};

class BatchPool {
 public:
  BatchPool(size_t slots, size_t bytes_per_slot);

  // Waits up to `timeout` for a free slot; returns its index or -1.
  int Acquire(std::chrono::milliseconds timeout);
  void Release(int index);
  // Wakes any waiter (used at shutdown).
  void Interrupt();

  BatchSlot& slot(int index) { return slots_[index]; }
  size_t size() const { return slots_.size(); }

 private:
  std::vector<BatchSlot> slots_;
  std::mutex mutex_;
  std::condition_variable freed_;
  bool interrupted_ = false;
};

}  // namespace driver
