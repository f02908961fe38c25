#include "batch_pool.h"

namespace driver {

BatchPool::BatchPool(size_t slots, size_t bytes_per_slot) : slots_(slots) {
  for (auto& slot : slots_) {
    slot.data = std::make_unique<uint8_t[]>(bytes_per_slot);
    slot.capacity = bytes_per_slot;
  }
}

int BatchPool::Acquire(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto find = [this]() -> int {
    for (size_t i = 0; i < slots_.size(); i++)
      if (!slots_[i].busy) return static_cast<int>(i);
    return -1;
  };
  int index = find();
  if (index < 0 && !interrupted_) {
    freed_.wait_for(lock, timeout, [&] { return interrupted_ || (index = find()) >= 0; });
  }
  if (index >= 0) {
    slots_[index].busy = true;
    slots_[index].used = 0;
    slots_[index].count = 0;
  }
  return index;
}

void BatchPool::Release(int index) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (index >= 0 && static_cast<size_t>(index) < slots_.size()) slots_[index].busy = false;
  }
  freed_.notify_one();
}

void BatchPool::Interrupt() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    interrupted_ = true;
  }
  freed_.notify_all();
}

}  // namespace driver
