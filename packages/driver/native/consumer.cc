#include "consumer.h"

#include <bpf/libbpf.h>
#include <time.h>

#include <cerrno>
#include <cstring>

#include "../bpf/shared/wire.h"

namespace driver {

namespace {
uint64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
}
}  // namespace

// Runs on the JavaScript thread: one call per batch, whatever its size.
void DeliverBatch(Napi::Env env, Napi::Function callback, ConsumerContext*, BatchReady* batch) {
  if (env != nullptr && callback != nullptr) {
    callback.Call({Napi::Number::New(env, batch->slot), Napi::Number::New(env, batch->count),
                   Napi::Number::New(env, batch->bytes)});
  }
  delete batch;
}

Consumer::Consumer(ConsumerSettings settings, BatchPool& pool, BatchCallback callback)
    : settings_(settings), pool_(pool), callback_(callback) {}

Consumer::~Consumer() { Stop(); }

int Consumer::Start() {
  ring_ = ring_buffer__new(settings_.ring_fd, &Consumer::OnSample, this, nullptr);
  if (ring_ == nullptr) return -errno;
  running_ = true;
  thread_ = std::thread([this] { Run(); });
  return 0;
}

void Consumer::Stop() {
  if (thread_.joinable()) {
    running_ = false;
    pool_.Interrupt();
    thread_.join();
    callback_.Release();
  }
  if (ring_ != nullptr) {
    ring_buffer__free(ring_);
    ring_ = nullptr;
  }
}

// Copies one record into the current slot. Returning a negative value stops this round of
// consumption once the slot cannot take another maximum-size record; the record itself has
// already been copied, so nothing is lost.
int Consumer::OnSample(void* ctx, void* data, size_t size) {
  auto* self = static_cast<Consumer*>(ctx);
  BatchSlot& slot = self->pool_.slot(self->current_);
  std::memcpy(slot.data.get() + slot.used, data, size);
  slot.used += size;
  slot.count++;
  return slot.capacity - slot.used < MAX_RECORD_SIZE ? -ENOSPC : 0;
}

void Consumer::Flush() {
  BatchSlot& slot = pool_.slot(current_);
  stats_.batches++;
  stats_.events += slot.count;
  stats_.bytes += slot.used;
  auto* ready = new BatchReady{current_, slot.count, static_cast<uint32_t>(slot.used)};
  if (callback_.NonBlockingCall(ready) != napi_ok) {
    delete ready;
    pool_.Release(current_);
  }
  current_ = -1;
}

void Consumer::Run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point batch_started{};
  while (running_) {
    if (current_ < 0) {
      // Waiting here leaves the ring buffer undrained: when JavaScript falls behind the kernel
      // drops and counts, and this thread never blocks a producer.
      auto wait_start = Clock::now();
      current_ = pool_.Acquire(std::chrono::milliseconds(50));
      stats_.stalled_ms += std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - wait_start).count();
      if (current_ < 0) continue;
      batch_started = Clock::now();
    }
    // Producers only wake us once g_wakeup_bytes are pending, so a timed-out poll still
    // consumes whatever arrived below that threshold.
    int rc = ring_buffer__poll(ring_, settings_.poll_ms);
    if (rc >= 0) rc = ring_buffer__consume(ring_);
    if (rc < 0 && rc != -ENOSPC && rc != -EINTR) stats_.poll_errors++;
    BatchSlot& slot = pool_.slot(current_);
    bool full = slot.used >= settings_.flush_bytes || rc == -ENOSPC;
    bool stale = slot.count > 0 && Clock::now() - batch_started >= std::chrono::milliseconds(settings_.poll_ms);
    if (full || stale || (!running_ && slot.count > 0)) {
      Flush();
    } else if (slot.count == 0) {
      batch_started = Clock::now();
    }
    stats_.cpu_ns = ThreadCpuNs();
  }
  if (current_ >= 0) {
    pool_.Release(current_);
    current_ = -1;
  }
}

}  // namespace driver
