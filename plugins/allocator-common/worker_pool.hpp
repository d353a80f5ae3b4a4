// A fixed set of threads that run the indices of one batch at a time. The
// calling thread works too, so a pool of size 1 spawns nothing and runs
// inline. The threads live as long as the pool (one allocate call) because a
// search runs hundreds of small batches and spawning threads per batch would
// cost as much as a fast evaluation.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace stream::plugins::alloc {

class WorkerPool {
public:
    /// `threads` counts the caller; 0 is treated as 1.
    explicit WorkerPool(std::size_t threads) {
        for (std::size_t i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
    }
    ~WorkerPool() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        for (std::thread& t : workers_) t.join();
    }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    std::size_t size() const noexcept { return workers_.size() + 1; }

    /// Runs task(i) for every i in [0, count), in any order and on any thread,
    /// and returns when all have finished. The first exception a task throws
    /// is rethrown here once the batch is done.
    void run(std::size_t count, const std::function<void(std::size_t)>& task) {
        if (workers_.empty() || count <= 1) {
            for (std::size_t i = 0; i < count; ++i) task(i);
            return;
        }
        {
            std::lock_guard lock(mutex_);
            task_ = &task;
            count_ = count;
            next_.store(0, std::memory_order_relaxed);
            finished_ = 0;
            error_ = nullptr;
            ++batch_;
        }
        wake_.notify_all();
        drain();
        std::exception_ptr error;
        {
            // Waits for the tasks, and for the workers that joined this batch,
            // but not for a worker the OS has not scheduled yet: on a busy
            // machine the caller then simply does the whole batch itself.
            std::unique_lock lock(mutex_);
            done_.wait(lock, [this] { return finished_ == count_ && joined_ == 0; });
            task_ = nullptr;
            error = error_;
        }
        if (error) std::rethrow_exception(error);
    }

private:
    void work() {
        std::uint64_t seen = 0;
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return stop_ || batch_ != seen; });
            if (stop_) return;
            seen = batch_;
            // A late wake-up may find the batch already finished (task_ reset) or fully claimed.
            if (!task_ || next_.load(std::memory_order_relaxed) >= count_) continue;
            ++joined_; // task_ and count_ stay valid until joined_ is back to 0
            lock.unlock();
            drain();
            lock.lock();
            --joined_;
            if (finished_ == count_ && joined_ == 0) done_.notify_one();
        }
    }

    void drain() {
        std::size_t finished = 0;
        for (;;) {
            const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
            if (i >= count_) break;
            try {
                (*task_)(i);
            } catch (...) {
                std::lock_guard lock(mutex_);
                if (!error_) error_ = std::current_exception();
            }
            ++finished;
        }
        std::lock_guard lock(mutex_);
        finished_ += finished;
        if (finished_ == count_ && joined_ == 0) done_.notify_one();
    }

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_; // a new batch or stop
    std::condition_variable done_; // the batch's last task finished or its last worker left
    bool stop_ = false;
    std::uint64_t batch_ = 0;      // incremented per batch so a worker joins each one at most once
    std::size_t joined_ = 0;       // workers inside the current batch
    std::size_t finished_ = 0;     // tasks of the current batch that have run
    const std::function<void(std::size_t)>* task_ = nullptr;
    std::size_t count_ = 0;
    std::atomic<std::size_t> next_{0};
    std::exception_ptr error_;
};

} // namespace stream::plugins::alloc
