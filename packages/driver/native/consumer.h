// The background thread that drains the BPF ring buffer into batch slots and hands each filled
// slot to JavaScript in one thread-safe call.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "batch_pool.h"

struct ring_buffer;

namespace driver {

struct BatchReady {
  int slot;
  uint32_t count;
  uint32_t bytes;
};

struct ConsumerContext;  // unused tag type for the typed thread-safe function
void DeliverBatch(Napi::Env env, Napi::Function callback, ConsumerContext* context, BatchReady* batch);
using BatchCallback = Napi::TypedThreadSafeFunction<ConsumerContext, BatchReady, DeliverBatch>;

// Plain settings copied before the thread starts: the thread never touches JS values.
struct ConsumerSettings {
  int ring_fd = -1;
  int poll_ms = 10;        // longest wait for data, and the longest a partial batch is held back
  size_t flush_bytes = 0;  // a batch at least this full is delivered at once
};

struct ConsumerStats {
  std::atomic<uint64_t> batches{0};
  std::atomic<uint64_t> events{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> cpu_ns{0};       // the consumer thread's own CPU time
  std::atomic<uint64_t> stalled_ms{0};   // time spent waiting for JavaScript to return a slot
  std::atomic<uint64_t> poll_errors{0};
};

class Consumer {
 public:
  Consumer(ConsumerSettings settings, BatchPool& pool, BatchCallback callback);
  ~Consumer();
  // Starts the thread; returns a negative errno if the ring buffer cannot be set up.
  int Start();
  void Stop();
  const ConsumerStats& stats() const { return stats_; }

 private:
  void Run();
  static int OnSample(void* ctx, void* data, size_t size);
  void Flush();

  ConsumerSettings settings_;
  BatchPool& pool_;
  BatchCallback callback_;
  ring_buffer* ring_ = nullptr;
  std::thread thread_;
  std::atomic<bool> running_{false};
  int current_ = -1;
  ConsumerStats stats_;
};

}  // namespace driver
