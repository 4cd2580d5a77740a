from huey.contrib.djhuey import db_task


@db_task(retries=0)
def run_archive_job(job_id: int):
    from .archive import run_job

    job = run_job(job_id)
    return job.result if job else {"skipped": True}
